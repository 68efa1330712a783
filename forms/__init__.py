"""WTForms classes: the one place where input is validated, for HTML posts and the JSON API alike."""
