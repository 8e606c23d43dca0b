-- A meeting's material files (issue 20): the content kept in the database,
-- as the incidents' and agreements' files are; a material names its file
-- by `meeting_materials.file_id`.
CREATE TABLE meeting_files (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    uploaded_at  TEXT    NOT NULL
);
CREATE INDEX meeting_files_by_meeting ON meeting_files (meeting_id);
