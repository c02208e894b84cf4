"""Work that follows a commit (documents, mail): a thread in the embedded default, RQ workers in production."""
