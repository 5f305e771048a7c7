# The privacy review page before publication (src/http/pages/privacy.rs).
privacy-heading = Personal data check before publication
privacy-breadcrumb = You are here
privacy-datasets = Datasets
privacy-intro = Before a dataset becomes public, the portal scans its tabular files (CSV, XLSX) for personal data: citizen identity and ID card numbers, phone numbers, e-mail addresses, names next to birth dates or addresses. Values found are shown in part only; the rest is masked.
privacy-found = { $count ->
    [one] There is { $count } finding not yet reviewed. The dataset is not published: check the files (remove or mask columns that are not needed), then confirm the checklist below.
   *[other] There are { $count } findings not yet reviewed. The dataset is not published: check the files (remove or mask columns that are not needed), then confirm the checklist below.
}
privacy-always = This portal asks for the checklist before every publication. The dataset is not published.
privacy-clear = No findings need a review: the dataset can be published.
privacy-published = The dataset is published; its current files have been reviewed or have no findings.
privacy-files-heading = Tabular files scanned
privacy-no-files = The dataset has no uploaded CSV or XLSX file yet.
privacy-file-reviewed = Reviewed
privacy-rows-scanned = { $count ->
    [one] { $count } row read.
   *[other] { $count } rows read.
}
privacy-scan-partial = Large file: only its beginning was read.
privacy-file-clean = No personal data found.
privacy-findings-caption = Findings by column
privacy-col-column = Column
privacy-col-kind = Kind of data
privacy-col-count = Values
privacy-col-samples = Samples (masked)
privacy-related = with column “{ $column }”
privacy-row = row { $row }
privacy-kind-cccd = Citizen identity number (12 digits)
privacy-kind-cmnd = ID card number (9 digits)
privacy-kind-phone = Phone number
privacy-kind-email = E-mail address
privacy-kind-name-with-birth-date = Names with birth dates
privacy-kind-name-with-address = Names with addresses
privacy-kind-not-scanned = The file does not read as its format: a person must check it
privacy-checklist-heading = Re-identification risk checklist
privacy-checklist-intro = An editor of the organisation answers every question. The confirmation (who, when, the findings and the answers) is kept with the dataset for the data office. A new or replaced file needs a new confirmation.
privacy-submit = Confirm and publish
privacy-cancel = Back to the dataset, not published
privacy-confirmed = Confirmed
privacy-reviews-heading = Earlier confirmations
privacy-review-by = Confirmed by { $name }
privacy-review-files = { $count ->
    [one] { $count } file
   *[other] { $count } files
}
privacy-fix-below = Not confirmed yet: answer every question of the checklist (see the message next to each).
