"""The crmkb MkDocs site: records become pages at build time (see `plugin.CrmkbPlugin`)."""
