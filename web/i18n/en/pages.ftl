# Page interface (English).

## Page chrome
site-name = Open Data Portal
site-province = { $province } Province
site-description = Open data of { $province }'s provincial departments: search, preview and download for free, no registration.
skip-to-content = Skip to main content
nav-label = Main navigation
nav-datasets = Datasets
nav-organizations = Organisations
nav-groups = Themes
nav-about = About
nav-terms = Terms of use
nav-contact = Contact
nav-api = API for developers
lang-switch = Tiếng Việt
footer-owner = People's Committee of { $province } Province. Open data, free, reusable with attribution.
footer-legal = Decree 42/2022/ND-CP · Decree 47/2020/ND-CP · Decision 142/QD-TTg
back-home = Back to the home page
nav-home = Home
breadcrumb-label = Breadcrumb

## Errors
error-not-found = Page not found
error-forbidden = Access denied
error-bad-request = Invalid request
error-unavailable = Service temporarily unavailable
error-internal = Something went wrong
error-code = Error code

## Search
search-label = Search datasets
search-placeholder = For example: land prices, schools, population…
search-button = Search
search-hint = With or without Vietnamese diacritics.
ask-for-data = Request data
results-count = { $count ->
    [0] No datasets found
    [one] 1 dataset
   *[other] { $count } datasets
}
results-for = for “{ $query }”
results-title = Datasets
results-title-query = Results for “{ $query }”
filters-heading = Filter results
filters-active = Active filters
filter-remove = Remove filter { $name }
filter-clear-all = Clear all filters
facet-organization = Organisation
facet-groups = Theme
facet-res_format = Format
facet-license_id = Licence
facet-frequency = Update frequency
facet-tags = Tags
facet-place = Place
facet-more = Show more
sort-label = Sort by
sort-relevance = Relevance
sort-modified = Recently updated
sort-created = Recently published
sort-title = Title A → Z
sort-apply = Apply
page-label = Pagination
page-previous = ← Previous page
page-next = Next page →
page-current = Page { $page }
page-of = Page { $page } of { $pages }
no-results-heading = No matching datasets
no-results-try = Try:
no-results-unaccented = without diacritics: “{ $query }”
no-results-suggestion = did you mean: “{ $query }”
no-results-one-word = only “{ $word }”
no-results-fewer-filters = fewer filters
no-results-ask = Can't find the data you need? Ask the public bodies to publish it.
did-you-mean = Did you mean:
results-relaxed = No dataset has every word; closest matches.
resources-count = { $count ->
    [0] no files yet
    [one] 1 file
   *[other] { $count } files
}
updated-on = Updated { $date }
deep-page-limit = Only the first 100,000 results are shown; add words or filters.

## Home
home-heading = { $province } open data
home-lead = Find, preview and download the data of the province's public bodies. Free, no registration, reusable with attribution.
home-stat-datasets = datasets
home-stat-organizations = organisations
home-stat-groups = themes
home-groups = National data themes
home-organizations = Publishing organisations
home-newest = Newest
home-popular = Most downloaded
home-all-datasets = See all datasets
home-all-organizations = See all organisations
downloads-count = { $count ->
    [one] 1 download
   *[other] { $count } downloads
}
datasets-count = { $count ->
    [0] no datasets yet
    [one] 1 dataset
   *[other] { $count } datasets
}
home-no-popular = No downloads yet.

## Organisations and themes
organizations-heading = Publishing organisations
organizations-lead = The provincial departments and local authorities publishing open data here.
groups-heading = Data themes
groups-lead = The 12 national open-data themes.
organization-datasets = Datasets of this organisation
group-datasets = Datasets in this theme

## About, terms, API
about-heading = About
terms-heading = Open data terms of use
api-heading = API for developers
licenses-heading = Licences used on this portal
license-read = Read the full text

## About, terms and API page content
about-intro = The { $province } Open Data Portal is the provincial data portal of Decree 42/2022/ND-CP, connected to the National Data Portal (data.gov.vn). It publishes the open data of the province's public bodies listed in the open-data catalogue issued by the Chairman of the Provincial People's Committee (Decision 142/QD-TTg).
about-free = Everyone may search, preview and download the data free of charge, without registering, and reuse it under the
about-terms-link = terms of use
about-structure = Publishing bodies
terms-intro = The data on this portal is open data under Decree 47/2020/ND-CP (articles 17–21, carried on by Decree 194/2025/ND-CP). Unless a dataset names another licence, the default terms of article 18 apply:
terms-free = You may access, download, copy, use and share the data free of charge, without registering or identifying yourself.
terms-reuse = You may reuse it and combine it with other data, including for commercial purposes.
terms-attribution = You must attribute the source: the publishing body and the dataset's title (every dataset page has a ready-to-copy attribution sentence).
terms-no-resale = You may not resell the raw data as it is, misrepresent it, or suggest that a public body endorses your product.
terms-as-is = The data is provided as published; the public bodies are not liable for damage arising from its use.
api-intro = The portal speaks the CKAN Action API v3: tools that work with CKAN (Python ckanapi, R ckanr, CKAN harvesters) work here unchanged. Reading public data needs no API key.
api-docs-lead = Every action:
api-docs-link = API documentation
