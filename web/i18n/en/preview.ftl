# The resource page and its preview (src/http/pages/resource.rs, web/templates/resource.html).
resource-fallback-name = Resource
resource-format = Format
resource-size = Size
resource-modified = Last modified
resource-download = Download
resource-open-link = Open link
resource-link-note = This resource is a link to a page outside the data portal.
resource-details = About this resource
resource-back-to-dataset = Back to the dataset
preview-heading = Preview
preview-column = Column { $number }
preview-caption-some = { $count ->
    [one] The first row of the file
   *[other] The first { $count } rows of the file
}
preview-caption-all = { $count ->
    [one] The file's only row
   *[other] All { $count } rows of the file
}
preview-hidden-columns = { $count ->
    [one] { $count } more column is not shown; download the file to see it all.
   *[other] { $count } more columns are not shown; download the file to see them all.
}
preview-encoding = Encoding: { $encoding }
preview-delimiter-comma = delimiter: comma (,)
preview-delimiter-semicolon = delimiter: semicolon (;)
preview-delimiter-tab = delimiter: tab
preview-delimiter-pipe = delimiter: vertical bar (|)
preview-sheet-shown = Showing the sheet “{ $sheet }”.
preview-other-sheets = Other sheets: { $sheets }
preview-sort-hint = Click a column heading to sort.
preview-text-truncated = Only the start of the file is shown; download the file to see it all.
preview-text-plain = The content is not valid for its format, so it is shown as it is.
preview-map-title = Map of the features in the file
preview-map-features = { $count ->
    [one] { $count } feature
   *[other] { $count } features
}
preview-map-partial = Only the first { $count } features are drawn.
preview-map-extent = Longitude { $west } – { $east }, latitude { $south } – { $north }
preview-map-note = The map is drawn from the file's coordinates, without a base map.
preview-image-alt = Image { $name }
preview-pdf-fallback = Your browser cannot show the PDF inside the page.
preview-pdf-open = Open the PDF
preview-none-link = The portal does not fetch files from other sites, so there is no preview. Open the link to see the data.
preview-none-unsupported = There is no preview for this format yet. Download the file to see it.
preview-none-too-large = The file is larger than { $size }, so it is not previewed. Download the file to see it.
preview-none-unreadable = The file could not be read as its format says. Download the file to see it.
preview-none-empty = The file holds no data to preview.
