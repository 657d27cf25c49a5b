package io.github.kernelgate.proxy;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kernelspec argv placeholders: {@code {name}} is replaced when known and left as it is otherwise. */
public final class ArgvTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

  private ArgvTemplate() {
  }

  public static List<String> substitute(List<String> argv, Map<String, String> values) {
    return argv.stream().map(argument -> substitute(argument, values)).toList();
  }

  public static String substitute(String argument, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(argument);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      matcher.appendReplacement(result, Matcher.quoteReplacement(value == null ? matcher.group() : value));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
