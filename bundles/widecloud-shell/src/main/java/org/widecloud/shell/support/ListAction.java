package org.widecloud.shell.support;

import java.util.List;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

/** A paged list printed as a table; {@code --no-format} prints bare rows for scripts (no header, no totals). */
public abstract class ListAction<T> extends CloudAction {

    @Option(name = "--offset", description = "Skip this many items (default 0)")
    protected Integer offset;

    @Option(name = "--limit", description = "Show at most this many items (1.." + PageRequest.MAX_LIMIT + ", default "
            + PageRequest.DEFAULT_LIMIT + ")")
    protected Integer limit;

    @Option(name = "--no-format", description = "Disable table rendered output")
    protected boolean noFormat;

    @Override
    protected final void run() throws Exception {
        Page<T> page = fetch(PageRequest.of(offset, limit));
        ShellTable table = new ShellTable();
        for (String column : columns()) {
            table.column(column);
        }
        table.emptyTableText(emptyText());
        for (T item : page.items()) {
            table.addRow().addContent(Format.cells(row(item)));
        }
        table.print(out(), !noFormat);
        if (!noFormat) {
            String totals = Format.totals(page);
            if (!totals.isEmpty()) {
                out().println(totals);
            }
        }
    }

    protected abstract Page<T> fetch(PageRequest page);

    protected abstract List<String> columns();

    protected abstract List<Object> row(T item);

    protected abstract String emptyText();

    /** For tests and embedding: {@code --no-format}. */
    public void setNoFormat(boolean noFormat) {
        this.noFormat = noFormat;
    }

    /** For tests and embedding: {@code --offset} and {@code --limit} (null: default). */
    public void setPage(Integer offset, Integer limit) {
        this.offset = offset;
        this.limit = limit;
    }
}
