package dev.custodian.server.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time (user + system) a JVM process has used so far, from {@code /proc/<pid>/task/*\/stat}
 * (Linux), without its JIT compiler threads: compiling is warm-up, not the cost of a request, and
 * it is what varies most between runs on a busy machine. Garbage collection counts. Threads that end
 * between a snapshot and the reading after it are not counted. {@code bench/cpu_ticks.py} does the same from the shell.
 */
public final class ProcessCpuTime {

  private static final double TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture we run on

  private ProcessCpuTime() {}

  /** What each of the process's non-compiler threads has used so far, in clock ticks, by thread id. */
  public static Map<String, Long> snapshot(long pid) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.contains("CompilerThre")) {
          continue;
        }
        // after the name: field 3 (state) is rest[0]; utime (field 14) rest[11], stime (15) rest[12]
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks.put(task.getFileName().toString(), Long.parseLong(rest[11]) + Long.parseLong(rest[12]));
      }
    }
    return ticks;
  }

  /** Seconds of CPU the process's non-compiler threads have used since {@code before}, a {@link #snapshot}. */
  public static double secondsSince(long pid, Map<String, Long> before) throws IOException {
    long ticks = 0;
    for (Map.Entry<String, Long> thread : snapshot(pid).entrySet()) {
      ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
    }
    return ticks / TICKS_PER_SECOND;
  }
}
