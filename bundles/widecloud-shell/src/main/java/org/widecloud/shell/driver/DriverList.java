package org.widecloud.shell.driver;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.widecloud.api.model.DriverInfo;
import org.widecloud.api.service.DriverService;
import org.widecloud.shell.support.CloudAction;
import org.widecloud.shell.support.Format;

import java.util.Arrays;

@Service
@Command(scope = "cloud", name = "driver-list",
        description = "Lists the installed hypervisor drivers, mobility and storage backends")
public class DriverList extends CloudAction {

    @Reference
    DriverService driverService;

    @Option(name = "--no-format", description = "Disable table rendered output")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Type");
        table.column("Bundle");
        table.column("Version");
        table.emptyTableText("No drivers installed");
        for (DriverInfo d : driverService.list()) {
            table.addRow().addContent(Format.cells(Arrays.asList(d.kind(), d.type(), d.bundle(), d.version())));
        }
        table.print(out(), !noFormat);
    }
}
