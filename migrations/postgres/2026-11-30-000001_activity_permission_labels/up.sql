-- Who may read each recorded change: the dataset's visibility when the change was made, as
-- CKAN >= 2.10 keeps permission labels per activity. Otherwise the history of a public dataset
-- shows anyone what it held while it was private or a draft. Space-separated labels:
-- `public`, `member:<org id>`, `editor:<org id>`, `creator:<user id>`. Keep in step with
-- ../../sqlite/ and src/catalog/activity.rs.
ALTER TABLE activities ADD COLUMN permission_labels TEXT NOT NULL DEFAULT '';

UPDATE activities SET permission_labels = CASE
    WHEN data::jsonb #>> '{package,state}' = 'active'
         AND data::jsonb #>> '{package,private}' = 'false' THEN 'public'
    WHEN data::jsonb #>> '{package,state}' = 'active'
        THEN 'member:' || COALESCE(data::jsonb #>> '{package,owner_org}', '')
    WHEN data::jsonb #>> '{package,state}' = 'draft'
        THEN 'editor:' || COALESCE(data::jsonb #>> '{package,owner_org}', '')
             || COALESCE(' creator:' || (data::jsonb #>> '{package,creator_user_id}'), '')
    ELSE 'editor:' || COALESCE(data::jsonb #>> '{package,owner_org}', '')
END
WHERE object_type = 'package';

-- Organisation history: its details are public, its membership changes are for its members.
UPDATE activities SET permission_labels = CASE
    WHEN data::jsonb -> 'changes' = '["members"]'::jsonb THEN 'member:' || object_id
    ELSE 'public'
END
WHERE object_type <> 'package';
