"""crmkb: a knowledge base for a CRM rollout, kept as plain files in git."""
