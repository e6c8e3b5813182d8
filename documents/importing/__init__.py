"""From a parsed policy document to tracked work: the import plan an admin checks and
corrects in the wizard, and the one transaction that writes it."""
