package dev.skiff.store.oci;

import java.util.List;
import java.util.Map;

/**
 * One page of a lexically sorted list (tags, repositories): at most {@code limit} entries after
 * {@code last}. A null limit means all the rest.
 */
public record PageRequest(Integer limit, String last) {

    /** A page of the list, and whether entries remain after it. */
    public record Page(List<String> items, boolean more) {
        /** The entry the next page starts after. */
        public String lastItem() {
            return items.get(items.size() - 1);
        }
    }

    /** Reads the {@code n} and {@code last} query parameters; a bad {@code n} is PAGINATION_NUMBER_INVALID. */
    public static PageRequest of(String n, String last) {
        if (n == null || n.isBlank()) {
            return new PageRequest(null, last);
        }
        try {
            int limit = Integer.parseInt(n.trim());
            if (limit >= 0) {
                return new PageRequest(limit, last);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "invalid number of results requested",
                Map.of("n", n));
    }

    /** The page of {@code sorted} (ascending, without duplicates) this request asks for. */
    public Page apply(List<String> sorted) {
        List<String> after = last == null ? sorted
                : sorted.stream().filter(item -> item.compareTo(last) > 0).toList();
        if (limit == null || after.size() <= limit) {
            return new Page(after, false);
        }
        return new Page(after.subList(0, limit), limit > 0);
    }
}
