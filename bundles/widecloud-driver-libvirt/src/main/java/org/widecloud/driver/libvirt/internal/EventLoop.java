package org.widecloud.driver.libvirt.internal;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, shared by every libvirt driver in this JVM (it is process-wide in libvirt): it
 * must be registered before connections open so that events and keep-alives work. Reference-counted: the daemon
 * thread runs while at least one driver uses it.
 */
public final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /**
     * libvirt prints every error to stderr unless a handler is set; ours come back as exceptions with the same
     * message, so the process-wide handler stays silent (held here so JNA's callback is not collected).
     */
    private static final org.libvirt.ErrorCallback QUIET = new org.libvirt.ErrorCallback();
    private static int users;
    private static Thread thread;

    private EventLoop() {
    }

    public static synchronized void acquire() throws LibvirtException {
        if (users == 0) {
            org.libvirt.Connect.setErrorCallback(QUIET);
            Library.initEventLoop();
            Thread t = new Thread(EventLoop::run, "libvirt-event-loop");
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        users++;
    }

    public static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            Thread t = thread;
            thread = null;
            // stopEventLoop only wakes a loop that has started: repeat until the thread has seen it.
            while (t.isAlive()) {
                try {
                    Library.stopEventLoop();
                    t.join(100);
                } catch (LibvirtException e) {
                    LOG.warn("stopping libvirt's event loop: {}", e.getMessage());
                    t.interrupt();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public static synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    private static void run() {
        try {
            Library.runEventLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LibvirtException e) {
            LOG.error("libvirt's event loop stopped: {}", e.getMessage(), e);
        }
    }
}
