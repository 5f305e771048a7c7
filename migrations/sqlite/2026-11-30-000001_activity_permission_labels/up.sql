-- Who may read each recorded change: the dataset's visibility when the change was made, as
-- CKAN >= 2.10 keeps permission labels per activity. Otherwise the history of a public dataset
-- shows anyone what it held while it was private or a draft. Space-separated labels:
-- `public`, `member:<org id>`, `editor:<org id>`, `creator:<user id>`. Keep in step with
-- ../../postgres/ and src/catalog/activity.rs.
ALTER TABLE activities ADD COLUMN permission_labels TEXT NOT NULL DEFAULT '';

UPDATE activities SET permission_labels = CASE
    WHEN json_extract(data, '$.package.state') = 'active'
         AND json_extract(data, '$.package.private') = 0 THEN 'public'
    WHEN json_extract(data, '$.package.state') = 'active'
        THEN 'member:' || COALESCE(json_extract(data, '$.package.owner_org'), '')
    WHEN json_extract(data, '$.package.state') = 'draft'
        THEN 'editor:' || COALESCE(json_extract(data, '$.package.owner_org'), '')
             || COALESCE(' creator:' || json_extract(data, '$.package.creator_user_id'), '')
    ELSE 'editor:' || COALESCE(json_extract(data, '$.package.owner_org'), '')
END
WHERE object_type = 'package';

-- Organisation history: its details are public, its membership changes are for its members.
UPDATE activities SET permission_labels = CASE
    WHEN json_extract(data, '$.changes') = '["members"]' THEN 'member:' || object_id
    ELSE 'public'
END
WHERE object_type <> 'package';
