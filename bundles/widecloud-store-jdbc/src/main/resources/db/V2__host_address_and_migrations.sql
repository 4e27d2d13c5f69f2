-- widecloud store, schema version 2: a host's underlay address and command executor (mobility and storage
-- backends configure hosts through them), and the journal of live migrations (one row per migration, its step
-- written before the step runs).

ALTER TABLE hosts ADD COLUMN address VARCHAR(255);
ALTER TABLE hosts ADD COLUMN executor VARCHAR(2000);

CREATE TABLE migrations (
    id                VARCHAR(255) NOT NULL,
    vm_id             VARCHAR(255) NOT NULL,
    job_id            VARCHAR(255),
    source_host       VARCHAR(255) NOT NULL,
    target_host       VARCHAR(255) NOT NULL,
    step              VARCHAR(32)  NOT NULL,
    downtime_ms       BIGINT,
    bytes_transferred BIGINT,
    total_ms          BIGINT,
    gap_ms            BIGINT,
    error             VARCHAR(4000),
    created_at        TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE,
    version           BIGINT       NOT NULL,
    CONSTRAINT migrations_pk PRIMARY KEY (id)
);
CREATE INDEX migrations_vm_idx ON migrations (vm_id, created_at);
CREATE INDEX migrations_step_idx ON migrations (step);
