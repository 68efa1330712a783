"""Recording, changing, listing and describing activities: the work shared by the pages and the API."""
