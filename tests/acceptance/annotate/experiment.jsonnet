// Jsonnet: '//' comments; '#' comments, text blocks and strings with '//' stay as they are.
local hidden = 16;
local encoder(n) = {
  "type": "lstm",
  "input_size": 50,
  "hidden_size": n,  /* per direction */
  "bidirectional": true,
};
{
  "description": |||
    http://example.org/#models // not a comment
  |||,
  "dataset_reader": {"type": "text_classification_json"},
  "train_data_path": "https://example.org/train.jsonl",  # a hash comment
  "model": {
    "type": "basic_classifier",
    "text_field_embedder": {},
    "seq2vec_encoder": encoder(hidden) + {
      "num_layers": 2,
    },
  },
}
