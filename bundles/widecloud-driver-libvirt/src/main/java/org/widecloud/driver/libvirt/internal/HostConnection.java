package org.widecloud.driver.libvirt.internal;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to a libvirt URI: opened on first use, shared by all calls, reopened once when a call finds
 * it dead. libvirt's connections are thread-safe, so calls run concurrently under the read lock; opening,
 * reopening and closing take the write lock, so no call ever runs on a connection being closed.
 */
public final class HostConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HostConnection.class);

    /** A call into libvirt. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /** Receives the connection's lifecycle events, re-registered on every (re)connect. */
    private final LifecycleListener lifecycle;
    private final String uri;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Object> subscribers = new CopyOnWriteArraySet<>();
    private Connect connect;
    private long generation;
    private boolean lifecycleRegistered;
    private volatile Object cached;

    public HostConnection(String uri, LifecycleListener lifecycle) {
        this.uri = uri;
        this.lifecycle = lifecycle;
    }

    public String uri() {
        return uri;
    }

    /**
     * Runs the call on the connection, opening it if needed. If the call fails and the connection turns out dead
     * (closed, daemon restarted, network gone), reconnects once and runs the call again.
     */
    public <T> T call(Call<T> call) throws LibvirtException {
        boolean retried = false;
        while (true) {
            long seen;
            ensureOpen();
            lock.readLock().lock();
            try {
                if (connect == null) {
                    continue; // closed between ensureOpen and here: open again
                }
                seen = generation;
                try {
                    return call.apply(connect);
                } catch (LibvirtException e) {
                    if (retried || !dead(connect, e)) {
                        throw e;
                    }
                    LOG.info("connection to {} lost ({}); reconnecting", uri, Libvirt.message(e));
                }
            } finally {
                lock.readLock().unlock();
            }
            retried = true;
            closeIfGeneration(seen);
        }
    }

    /** Closes the connection; the next call opens a new one. */
    public void close() {
        lock.writeLock().lock();
        try {
            closeLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Per-connection cache (the driver's flavour of this host); cleared when the connection is replaced. */
    public Object cached() {
        return cached;
    }

    public void cache(Object value) {
        cached = value;
    }

    /** Subscribes to lifecycle events; registers libvirt's callback on the live connection if needed. */
    public void subscribe(Object subscriber) throws LibvirtException {
        subscribers.add(subscriber);
        ensureOpen();
        lock.writeLock().lock();
        try {
            registerLifecycle();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void unsubscribe(Object subscriber) {
        subscribers.remove(subscriber);
        lock.writeLock().lock();
        try {
            if (subscribers.isEmpty() && lifecycleRegistered && connect != null) {
                try {
                    connect.removeLifecycleListener(lifecycle);
                } catch (LibvirtException e) {
                    LOG.debug("removing lifecycle listener on {}: {}", uri, Libvirt.message(e));
                }
                lifecycleRegistered = false;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Test hook: closes the libvirt connection behind this object's back, as a dying daemon would. */
    public void breakConnectionForTest() throws LibvirtException {
        lock.writeLock().lock();
        try {
            if (connect != null) {
                if (lifecycleRegistered) {
                    connect.removeLifecycleListener(lifecycle); // a dead daemon sends no more events either
                }
                connect.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() throws LibvirtException {
        lock.readLock().lock();
        try {
            if (connect != null) {
                return;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            if (connect == null) {
                Connect c = new Connect(uri, false);
                if (!org.widecloud.driver.libvirt.HostProbe.isLocal(uri)) {
                    try {
                        c.setKeepAlive(5, 3);
                    } catch (LibvirtException e) {
                        LOG.debug("keep-alive not available on {}: {}", uri, Libvirt.message(e));
                    }
                }
                connect = c;
                generation++;
                lifecycleRegistered = false;
                cached = null;
                registerLifecycle();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void registerLifecycle() throws LibvirtException {
        if (!subscribers.isEmpty() && !lifecycleRegistered && connect != null) {
            connect.addLifecycleListener(lifecycle);
            lifecycleRegistered = true;
        }
    }

    private void closeIfGeneration(long seen) {
        lock.writeLock().lock();
        try {
            if (generation == seen) {
                closeLocked();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeLocked() {
        Connect c = connect;
        connect = null;
        cached = null;
        if (c == null) {
            return;
        }
        if (lifecycleRegistered) {
            try {
                c.removeLifecycleListener(lifecycle);
            } catch (LibvirtException e) {
                LOG.debug("removing lifecycle listener on {}: {}", uri, Libvirt.message(e));
            }
            lifecycleRegistered = false;
        }
        try {
            c.close();
        } catch (LibvirtException e) {
            LOG.debug("closing {}: {}", uri, Libvirt.message(e));
        }
    }

    private static boolean dead(Connect c, LibvirtException e) {
        if (Libvirt.code(e) == org.libvirt.Error.ErrorNumber.VIR_ERR_INVALID_CONN) {
            return true;
        }
        try {
            return !c.isAlive();
        } catch (LibvirtException | RuntimeException notAlive) {
            return true;
        }
    }
}
