package org.widecloud.api.spi;

/**
 * Gives the executor of a host from its {@link HostEndpoint#executor()} URI: {@code local} (this machine),
 * {@code netns:NAME} (this machine, inside network namespace NAME; labs and tests), {@code ssh://user@host[:port]}
 * (production). Registered as an OSGi service by the executor bundle.
 */
public interface HostExecutors {
    HostExecutor forHost(HostEndpoint host);
}
