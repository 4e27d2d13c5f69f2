package org.widecloud.shell.support;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;

/**
 * A command with one positional argument (a name or a reference). Options may come before or after it:
 * what follows the argument is collected here and applied by {@link TrailingOptions}.
 */
public abstract class OneArgumentAction extends CloudAction {

    @Argument(index = 1, name = TrailingOptions.NAME, description = TrailingOptions.DESCRIPTION, multiValued = true)
    protected List<String> trailing;
}
