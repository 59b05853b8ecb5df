package dev.skiff.agent.driver.firecracker;

import java.util.Locale;

/**
 * The network of one TAP slot: slot {@code n} is the host TAP device {@code <tap-prefix><n>} and the
 * n-th /30 of the configured subnet, the host's end first ({@code .4n+1}) and the guest's second
 * ({@code .4n+2}). The operator creates the TAP devices and gives each its host address (see
 * src-docs/drivers.md); the guest's init takes its own address from the kernel command line
 * ({@code skiff.ip}, {@code skiff.gw}) or, after a snapshot restore, from {@link #consoleCommand()}.
 *
 * @param slot    the slot's index
 * @param tap     the host's TAP device
 * @param hostIp  the host's address on the TAP, the guest's gateway
 * @param guestIp the guest's address, where the agent reaches its watchdog
 * @param mac     the guest's MAC address: locally administered, derived from its address
 */
public record GuestNetwork(int slot, String tap, String hostIp, String guestIp, String mac) {
    /** Every slot is a /30: network, host, guest, broadcast. */
    public static final int PREFIX = 30;

    /** The network of a slot of {@code subnet} (CIDR, e.g. {@code 172.20.0.0/24}). */
    public static GuestNetwork of(String subnet, String tapPrefix, int slot) {
        if (slot < 0 || slot >= slots(subnet)) {
            throw new IllegalArgumentException("slot " + slot + " is outside " + subnet + " (" + slots(subnet) + " slots)");
        }
        int base = address(subnet) + 4 * slot;
        int guest = base + 2;
        String mac = String.format(Locale.ROOT, "06:00:%02X:%02X:%02X:%02X",
                guest >>> 24, (guest >>> 16) & 0xff, (guest >>> 8) & 0xff, guest & 0xff);
        return new GuestNetwork(slot, tapPrefix + slot, dotted(base + 1), dotted(guest), mac);
    }

    /** How many /30 slots a subnet holds; a malformed subnet or one smaller than a /30 is an error. */
    public static int slots(String subnet) {
        int length = prefixLength(subnet);
        address(subnet);
        return length > PREFIX ? 0 : 1 << Math.min(PREFIX - length, 16);
    }

    /** The guest's part of the kernel command line. */
    public String bootArgs() {
        return "skiff.ip=" + guestIp + "/" + PREFIX + " skiff.gw=" + hostIp;
    }

    /**
     * The line a restored guest's init reads on its serial console to take this slot's address: a
     * snapshot holds the address of the slot it was saved on.
     */
    public String consoleCommand() {
        return "SKIFF_NET " + guestIp + "/" + PREFIX + " " + hostIp;
    }

    private static int prefixLength(String subnet) {
        int slash = subnet.indexOf('/');
        try {
            int length = slash < 0 ? -1 : Integer.parseInt(subnet.substring(slash + 1));
            if (length < 0 || length > 32) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("subnet '" + subnet + "' is not an IPv4 CIDR such as 172.20.0.0/24");
        }
    }

    /** The subnet's first address, its host bits cleared. */
    private static int address(String subnet) {
        int length = prefixLength(subnet);
        String[] parts = subnet.substring(0, subnet.indexOf('/')).split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("subnet '" + subnet + "' is not an IPv4 CIDR such as 172.20.0.0/24");
        }
        int address = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("subnet '" + subnet + "' is not an IPv4 CIDR such as 172.20.0.0/24");
            }
            address = (address << 8) | octet;
        }
        return length == 0 ? 0 : address & (-1 << (32 - length));
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
