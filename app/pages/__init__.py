"""One page per area of the app, one file per page."""
