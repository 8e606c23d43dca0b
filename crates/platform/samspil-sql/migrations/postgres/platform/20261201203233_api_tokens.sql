-- API tokens may expire (NULL: never, for tokens the operator issues to
-- machines) and a person lists their own, so tokens are found by person.
-- revoked_at and last_used_at exist since 0001.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
