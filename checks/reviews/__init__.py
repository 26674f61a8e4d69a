"""Reviews for practice managers, and reports of reviews, room checks and walkthrough progress."""
