package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.widecloud.api.model.Entity;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.CloudException;

/** Completes references to stored objects by name and by id (both are accepted wherever a reference is). */
public abstract class RefCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        try {
            delegate.getStrings().addAll(values());
        } catch (CloudException e) {
            // nothing to offer: completion must never break the command line
        }
        return delegate.complete(session, commandLine, candidates);
    }

    /** The candidates: names and ids of the first page (completion needs no more). */
    protected abstract Collection<String> values();

    protected static PageRequest firstPage() {
        return PageRequest.all();
    }

    protected static void addNamesAndIds(Collection<String> into, List<? extends Entity> items) {
        for (Entity e : items) {
            if (e.name() != null) {
                into.add(e.name());
            }
            into.add(e.id());
        }
    }
}
