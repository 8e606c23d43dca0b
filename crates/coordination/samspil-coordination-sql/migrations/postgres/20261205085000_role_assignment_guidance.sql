-- A role's description has KLIK's two parts: "mere" (what the role is,
-- the existing description) and "tildeling" (whom to give it to).
ALTER TABLE roles ADD COLUMN assignment_guidance TEXT NOT NULL DEFAULT '';
