"""Training scripts for sitroom's learned components (run through `make train-*`)."""
