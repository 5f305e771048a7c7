# The dataset page (/dataset/{name}).

## Heading
dataset-private = Private
dataset-state-draft = Draft
dataset-state-deleted = Deleted
dataset-print = Print
dataset-print-label = Print this dataset's page
dataset-no-description = This dataset has no description yet.

## Files
dataset-resources = Data and files
dataset-resources-none = This dataset has no files yet.
dataset-resource-unnamed = Unnamed file
dataset-resource-details = Details
dataset-download = Download
dataset-resource-modified = Updated { $date }

## Information
dataset-info = About this dataset
dataset-organization = Publisher
dataset-contact = Contact point
dataset-email = E-mail
dataset-phone = Telephone
dataset-themes = Themes
dataset-tags = Keywords
dataset-frequency = Update frequency
dataset-modified = Last updated
dataset-created = Published
dataset-overdue = Update overdue: it was due by { $date }.
dataset-next-update = Next update due by { $date }.
dataset-spatial = Geographic coverage
dataset-spatial-code = code { $code }
dataset-temporal = Time period
dataset-extras = Additional information
dataset-temporal-from = from { $date }
dataset-temporal-until = until { $date }
dataset-version = Version
dataset-source = Original page

## Licence and attribution
dataset-license-heading = Licence and attribution
dataset-license = Licence
dataset-license-read = Read the terms
dataset-attribution = Attribution
dataset-attribution-hint = When you use the data, cite it as follows:
dataset-copy = Copy
dataset-copy-label = Copy the attribution
dataset-copied = Attribution copied.
dataset-portal = { $province } Province Open Data Portal
dataset-attribution-text = Source: { $org }, “{ $title }”, { $portal }, { $url }, accessed { $date }.
dataset-attribution-text-no-org = Source: “{ $title }”, { $portal }, { $url }, accessed { $date }.

## For developers
dataset-developers = For developers
dataset-api = This dataset through the API (JSON)
dataset-api-hint = The same information as JSON from the CKAN API (package_show).
