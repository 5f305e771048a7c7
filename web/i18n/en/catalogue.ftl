# The public pages of the open-data catalogue (issue 12): catalogue, entry, versions, figures.

nav-catalogue = Open-data catalogue
footer-catalogue-figures = Catalogue compliance figures

cat-heading = Open-data catalogue
cat-lead = The data that the departments of { $province } province have committed to publish, by decision of the chairman of the provincial People's Committee (Decision 142/QĐ-TTg, Appendix II, task I.1).
cat-no-version = No catalogue has been issued yet.
cat-decision-heading = Issuing decision
cat-version-label = Version { $version }
cat-decision-number = Decision number
cat-decision-date = Decision date
cat-signer = Signed by
cat-decision-pdf = Download the decision (PDF)
cat-version-entries = { $count ->
    [0] no entries
    [one] 1 entry
   *[other] { $count } entries
}
cat-versions-link = Issued versions
cat-figures-link = Compliance figures by department
cat-filters = Filter the catalogue
cat-filter-q = Words
cat-filter-department = Department
cat-filter-status = Status
cat-filter-any = All
cat-filter-apply = Filter
cat-filter-clear = Clear filters
cat-sort = Sort
cat-sort-title = By title
cat-sort-planned = By planned publication
cat-sort-modified = Recently changed
cat-count = { $count ->
    [0] No entries
    [one] 1 entry
   *[other] { $count } entries
}
cat-none-found = No entry matches the filters.
cat-exports = Download the catalogue
cat-export-csv = CSV (Excel)
cat-export-xlsx = XLSX
cat-export-json = JSON
cat-export-file = Open-data catalogue
cat-figures-file = Open-data catalogue compliance figures
cat-table-caption = Entries of the open-data catalogue
cat-scroll-label = Table, scrolls sideways

cat-col-title = Data
cat-col-department = Responsible department
cat-col-status = Status
cat-col-themes = Themes
cat-col-formats = Promised formats
cat-col-access = Access
cat-col-frequency = Update frequency
cat-col-planned = Planned publication
cat-col-next-update = Next update due
cat-col-publication = Publication
cat-col-datasets = Datasets
cat-col-versions = Versions
cat-col-legal = Legal basis
cat-col-priority = Priority
cat-col-description = Description
cat-col-link = Address

cat-status-draft = Draft
cat-status-submitted = Submitted for review
cat-status-changes_requested = Changes requested
cat-status-approved = Approved
cat-status-rejected = Rejected
cat-status-issued = Issued
cat-status-published = Published
cat-status-withdrawn = Withdrawn from the catalogue

cat-pub-on_time = Published on time
cat-pub-late = Published late
cat-pub-overdue = Overdue, not published
cat-pub-pending = Not yet due
cat-days-overdue = { $count ->
    [one] 1 day overdue
   *[other] { $count } days overdue
}

cat-access-download = File download
cat-access-api = API

cat-entry-heading = Catalogue entry
cat-entry-due = Due dates and publication
cat-entry-publication-due = First publication due
cat-entry-published = Published on
cat-entry-not-in-force = This entry is not part of the catalogue in force.
cat-entry-datasets = Published data
cat-entry-no-datasets = No dataset has been published for this entry yet.
cat-entry-not-public = not public yet
cat-entry-stale = Update overdue since { $date }
cat-entry-history = Status history
cat-entry-history-caption = Status changes: when, who, from what to what, and why
cat-entry-when = When
cat-entry-who = By
cat-entry-move = Change
cat-entry-why = Reason
cat-entry-merged = Merged into another entry
cat-entry-system = System

cat-versions-heading = Issued versions of the catalogue
cat-versions-lead = Each version keeps its entries as the decision issued them; a later version never changes an earlier one.
cat-versions-none = No version yet.
cat-versions-caption = Versions, newest first
cat-col-version = Version
cat-col-entries = Entries
cat-version-heading = Open-data catalogue, version { $version }
cat-version-changes = Changes since the previous version
cat-version-first = The first version: every entry is new.
cat-version-added = Added entries
cat-version-changed = Changed entries
cat-version-withdrawn = Withdrawn entries
cat-version-none-added = No entry added.
cat-version-none-changed = No entry changed.
cat-version-none-withdrawn = No entry withdrawn.
cat-version-all = Entries of this version
cat-version-changed-fields = Fields changed
cat-version-issued-by = Recorded by { $user } on { $date }

cat-field-title = Title
cat-field-description = Description
cat-field-owner_org = Department
cat-field-organization_title = Department name
cat-field-themes = Themes
cat-field-formats = Formats
cat-field-access_methods = Access
cat-field-frequency = Frequency
cat-field-planned_publication = Planned publication
cat-field-legal_basis = Legal basis
cat-field-priority = Priority

cat-figures-heading = Open-data catalogue compliance figures
cat-figures-lead = For each department: entries issued, published on time, published late, not yet published, and data past its update. These are the open-data figures the province reports in its digital transformation index (DTI).
cat-figures-as-of = Figures as of
cat-figures-show = Show
cat-figures-version = Against catalogue version { $version }, issued on { $date }.
cat-figures-no-version = No catalogue had been issued by this date.
cat-figures-review-due = Next catalogue review due: { $date }.
cat-figures-legal = Legal basis: { $review }; { $update }.
cat-figures-table = Figures by department
cat-figures-caption = Compliance figures by department, as of { $date }
cat-figures-chart = Chart
cat-figures-chart-title = Publication of catalogue entries by department, as of { $date }
cat-figures-chart-desc = One bar per department (the first is the whole province), split into: published on time, published late, overdue and not published, not yet due. The full figures are in the table below.
cat-figures-chart-note = The table below holds the chart's figures.
cat-figures-province = Whole province
cat-figures-share = { $share } on time
cat-figures-share-none = nothing due yet
cat-col-approved = Entries issued
cat-col-on-time = Published on time
cat-col-late = Published late
cat-col-overdue = Overdue, not published
cat-col-pending = Not yet due
cat-col-stale = Datasets past their update
cat-col-share = Share on time (%)
cat-figures-overdue = Entries overdue for publication
cat-figures-overdue-none = No entry is overdue for publication.
cat-figures-stale = Datasets past their update
cat-figures-stale-none = No dataset is past its update.
cat-col-due = Due
cat-col-days-late = Days late
cat-figures-exports = Download the figures
cat-entry-staff-heading = For the department and the data office
cat-entry-staff-manage = Submit, review, comment, link data
