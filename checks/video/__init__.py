"""Videos (MP4, MOV, M4V, 3GP): what they give away, and clean copies whose media bytes are untouched."""
