package org.widecloud.store.jdbc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of PID {@code org.widecloud.store}; empty values mean "the default for the type". */
@ObjectClassDefinition(id = "org.widecloud.store", name = "widecloud store",
        description = "Where the controller keeps its inventory, jobs and audit log.")
public @interface StoreConfig {

    @AttributeDefinition(description = "Database kind.", options = {
            @Option(value = "h2", label = "Embedded H2 (one controller)"),
            @Option(value = "postgresql", label = "PostgreSQL (production)") })
    String type() default "h2";

    @AttributeDefinition(required = false, description = "JDBC URL; empty: for h2 a file database under "
            + "${karaf.data}/widecloud/store. ${karaf.data} is replaced by Karaf's data folder.")
    String url() default "";

    @AttributeDefinition(required = false, description = "Database user; empty: sa for h2.")
    String user() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Password of that user. "
            + "Shown as a service property of the store; .password is not.")
    String password() default "";

    /** Key {@code .password}: DS keeps properties starting with a dot out of the service's properties. */
    @AttributeDefinition(name = ".password", required = false, type = AttributeType.PASSWORD,
            description = "Password of that user, kept out of the service properties; wins over password.")
    String _password() default "";

    @AttributeDefinition(name = "pool.size", description = "Largest number of pooled connections.", min = "1")
    int pool_size() default 8;
}
