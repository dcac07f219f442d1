package dev.ebb.server.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a sync's five-field cron expression (as {@code cron(8)} reads it) into Quartz's seven fields: a seconds field
 * of 0, days of week counted from 1 (Sunday) instead of 0, and {@code ?} in whichever day field is {@code *}. Quartz
 * cannot restrict both the day of month and the day of week (cron ORs them), so such an expression is refused with
 * what to write instead. Stateless.
 */
final class CronExpressions {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private CronExpressions() {
    }

    /**
     * @throws IllegalArgumentException with what to change, for an expression Quartz cannot take
     */
    static String quartz(String fiveFields) {
        String[] f = fiveFields.strip().split("\\s+");
        if (f.length != 5) throw new IllegalArgumentException("'" + fiveFields + "' does not have five fields");
        String dayOfMonth = f[2];
        String dayOfWeek = weekdays(f[4]);
        if (f[4].equals("*")) {
            dayOfWeek = "?";
        } else if (dayOfMonth.equals("*")) {
            dayOfMonth = "?";
        } else {
            throw new IllegalArgumentException("cron '" + fiveFields + "' restricts both the day of month and the"
                    + " day of week, which the scheduler cannot do; make one of them '*' (or use two syncs)");
        }
        return String.join(" ", "0", f[0], f[1], dayOfMonth, f[3], dayOfWeek);
    }

    /** Day-of-week numbers from cron's 0–7 (0 and 7 are Sunday) to Quartz's 1–7 (1 is Sunday). */
    private static String weekdays(String field) {
        List<String> items = new ArrayList<>();
        for (String item : field.split(",")) {
            String range = item;
            String step = "";
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = item.substring(slash);
            }
            if (range.equals("*")) {
                items.add((step.isEmpty() ? "*" : "1") + step);
                continue;
            }
            Matcher m = NUMBER.matcher(range);
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Integer.toString(Integer.parseInt(m.group()) % 7 + 1));
            m.appendTail(out);
            items.add(out + step);
        }
        return String.join(",", items);
    }
}
