"""The local model catalog: names resolve to model files on this machine."""
