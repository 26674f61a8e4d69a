"""Image privacy engine: report what a picture gives away, make clean copies and verify them."""
