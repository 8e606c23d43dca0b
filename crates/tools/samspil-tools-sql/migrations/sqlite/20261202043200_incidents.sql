-- The chain of responsibility for incidents (issue 19). A party is an
-- organisation of a kind (vendor, service desk, municipality, community)
-- with what it serves and its priority scale; an agreement between two
-- parties maps the sender's priorities onto the receiver's and sets the
-- receiver's targets. An incident is kept as the rules' parts (`parts`,
-- JSON, read back through `Incident::restore`); its links are repeated in
-- `incident_links` for the lists, isolation and e-bonding look-ups, and
-- rewritten with every change, under the incident row's lock.

CREATE TABLE incident_parties (
    org_id     INTEGER PRIMARY KEY REFERENCES organisations (id),
    kind       TEXT NOT NULL CHECK (kind IN ('vendor', 'service_desk', 'municipality', 'community')),
    serves     TEXT NOT NULL,
    scale      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE incident_agreements (
    customer_org INTEGER NOT NULL REFERENCES incident_parties (org_id),
    provider_org INTEGER NOT NULL REFERENCES incident_parties (org_id),
    kind         TEXT NOT NULL CHECK (kind IN ('sla', 'ola', 'underpinning_contract')),
    mapping      TEXT NOT NULL,
    targets      TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (customer_org, provider_org),
    CHECK (customer_org <> provider_org)
);

CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY,
    owner_org     INTEGER NOT NULL REFERENCES incident_parties (org_id),
    reporter_org  INTEGER REFERENCES organisations (id),
    solution      TEXT NOT NULL,
    state         TEXT NOT NULL,
    what_happened TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    parts         TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX incidents_by_owner ON incidents (owner_org, id);
CREATE INDEX incidents_by_reporter ON incidents (reporter_org, id);

CREATE TABLE incident_links (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    link_no      INTEGER NOT NULL,
    sender_org   INTEGER NOT NULL REFERENCES incident_parties (org_id),
    receiver_org INTEGER NOT NULL REFERENCES incident_parties (org_id),
    reference    TEXT,
    state        TEXT NOT NULL CHECK (state IN ('open', 'needs_information', 'accepted',
                                                'rejected', 'resolved', 'closed')),
    escalated    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, link_no)
);

CREATE INDEX incident_links_by_receiver ON incident_links (receiver_org, reference);
CREATE INDEX incident_links_by_sender ON incident_links (sender_org);
