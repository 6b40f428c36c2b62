"""Index building and loading: passages, jieba BM25, FAISS vectors, manifest and atomic swap."""
