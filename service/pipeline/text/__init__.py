"""French text helpers shared by several stages: word folding, sentences, quotations, vectors."""
