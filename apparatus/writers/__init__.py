"""Writers: one visitor module per output format."""
