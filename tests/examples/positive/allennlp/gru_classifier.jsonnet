// A tiny text classifier: a GRU over 50-wide word vectors.
local dim = 50;
{
  dataset_reader: {type: "text_classification_json"},
  train_data_path: "train.jsonl",
  model: {
    type: "basic_classifier",
    text_field_embedder: {
      token_embedders: {
        tokens: {type: "embedding", embedding_dim: dim, num_embeddings: 200},
      },
    },
    seq2vec_encoder: {
      type: "gru",
      input_size: dim,
      hidden_size: 20,
      num_layers: 1,
      bidirectional: false,
    },
  },
  trainer: {num_epochs: 1},
}
