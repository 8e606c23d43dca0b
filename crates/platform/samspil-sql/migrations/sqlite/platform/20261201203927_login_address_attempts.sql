-- The login throttle per client address (samspil_domain::throttle::AddressLimit):
-- the attempts one address has made in its current window.
CREATE TABLE login_address_attempts (
    address           TEXT    PRIMARY KEY,
    attempts          INTEGER NOT NULL,
    window_started_at TEXT    NOT NULL
);
