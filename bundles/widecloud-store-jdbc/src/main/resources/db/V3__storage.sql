-- widecloud store, schema version 3: storage pools (site-local, or wide-area when site_id is null) with their
-- backend's parameters in a child table (as networks keep theirs), volumes in pools, and what qemu-img reported
-- about a disk image (virtual size, sha256 checksum).

ALTER TABLE images ADD COLUMN virtual_size_bytes BIGINT;
ALTER TABLE images ADD COLUMN checksum VARCHAR(255);

CREATE TABLE pools (
    id             VARCHAR(255) NOT NULL,
    name           VARCHAR(255) NOT NULL,
    site_id        VARCHAR(255),
    backend        VARCHAR(64)  NOT NULL,
    capacity_bytes BIGINT       NOT NULL,
    used_bytes     BIGINT       NOT NULL,
    state          VARCHAR(32)  NOT NULL,
    state_reason   VARCHAR(4000),
    created_at     TIMESTAMP WITH TIME ZONE,
    version        BIGINT       NOT NULL,
    CONSTRAINT pools_pk PRIMARY KEY (id),
    CONSTRAINT pools_name_uq UNIQUE (name)
);
CREATE INDEX pools_site_idx ON pools (site_id, name);

CREATE TABLE pool_parameters (
    pool_id     VARCHAR(255)  NOT NULL,
    param_key   VARCHAR(255)  NOT NULL,
    param_value VARCHAR(4000),
    CONSTRAINT pool_parameters_pk PRIMARY KEY (pool_id, param_key)
);

CREATE TABLE volumes (
    id         VARCHAR(255) NOT NULL,
    name       VARCHAR(255) NOT NULL,
    pool_id    VARCHAR(255) NOT NULL,
    host_id    VARCHAR(255),
    size_bytes BIGINT       NOT NULL,
    format     VARCHAR(32),
    image_id   VARCHAR(255),
    vm_id      VARCHAR(255),
    volume_key VARCHAR(4000),
    state      VARCHAR(32)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE,
    version    BIGINT       NOT NULL,
    CONSTRAINT volumes_pk PRIMARY KEY (id),
    CONSTRAINT volumes_name_uq UNIQUE (name)
);
CREATE INDEX volumes_pool_idx ON volumes (pool_id, name);
CREATE INDEX volumes_vm_idx ON volumes (vm_id, name);
CREATE INDEX volumes_image_idx ON volumes (image_id, name);

ALTER TABLE pools ADD CONSTRAINT pools_site_fk FOREIGN KEY (site_id) REFERENCES sites (id);
ALTER TABLE pool_parameters ADD CONSTRAINT pool_parameters_pool_fk
    FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE;
ALTER TABLE volumes ADD CONSTRAINT volumes_pool_fk FOREIGN KEY (pool_id) REFERENCES pools (id);
ALTER TABLE volumes ADD CONSTRAINT volumes_vm_fk FOREIGN KEY (vm_id) REFERENCES vms (id);
ALTER TABLE volumes ADD CONSTRAINT volumes_image_fk FOREIGN KEY (image_id) REFERENCES images (id);
