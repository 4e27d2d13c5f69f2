package org.widecloud.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.widecloud.rest}: who may use the REST API. */
@ObjectClassDefinition(name = "widecloud REST API", description = "Authentication of /api/v1")
public @interface RestConfig {
    String PID = "org.widecloud.rest";

    @AttributeDefinition(description = "JAAS realm that checks user names and passwords")
    String realm() default "karaf";

    @AttributeDefinition(description = "The user needs one of these roles (comma-separated in a .cfg); empty: any "
            + "user the realm accepts")
    String[] roles() default {"admin"};

    @AttributeDefinition(description = "Class names of the principals that carry roles")
    String[] role_principal_classes() default {"org.apache.karaf.jaas.boot.principal.RolePrincipal"};

    @AttributeDefinition(description = "Seconds a successful login is remembered (0: check every request)")
    int login_cache_seconds() default 60;
}
