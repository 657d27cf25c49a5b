package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trimmer's collection runs with lean free-heap ratios and leaves this JVM's own ones as they were. */
class LeanCollectionTest {

  private final HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
  private String originalMin;
  private String originalMax;

  @BeforeEach
  void remember() {
    originalMin = flags.getVMOption("MinHeapFreeRatio").getValue();
    originalMax = flags.getVMOption("MaxHeapFreeRatio").getValue();
  }

  @AfterEach
  void restore() {
    flags.setVMOption("MaxHeapFreeRatio", "100");
    flags.setVMOption("MinHeapFreeRatio", originalMin);
    flags.setVMOption("MaxHeapFreeRatio", originalMax);
  }

  @Test
  void collectsWithLeanRatiosAndPutsTheShippedOnesBack() {
    setRatios(50, 80);
    List<String> during = new ArrayList<>();
    new LeanCollection(flags, () -> during.add(ratios())).run();
    assertThat(during).containsExactly(LeanCollection.LEAN_MIN_FREE_PERCENT + "/" + LeanCollection.LEAN_MAX_FREE_PERCENT);
    assertThat(ratios()).isEqualTo("50/80");
  }

  @Test
  void neverAsksForMoreFreeHeapThanTheJvmIsSetTo() {
    setRatios(5, 20);
    List<String> during = new ArrayList<>();
    new LeanCollection(flags, () -> during.add(ratios())).run();
    assertThat(during).containsExactly("5/20");
    assertThat(ratios()).isEqualTo("5/20");
  }

  @Test
  void aFailedCollectionStillPutsTheRatiosBack() {
    setRatios(50, 80);
    LeanCollection failing = new LeanCollection(flags, () -> {
      throw new IllegalStateException("collection failed");
    });
    assertThatThrownBy(failing::run).hasMessage("collection failed");
    assertThat(ratios()).isEqualTo("50/80");
  }

  private void setRatios(int min, int max) {
    flags.setVMOption("MaxHeapFreeRatio", "100");
    flags.setVMOption("MinHeapFreeRatio", String.valueOf(min));
    flags.setVMOption("MaxHeapFreeRatio", String.valueOf(max));
  }

  private String ratios() {
    return flags.getVMOption("MinHeapFreeRatio").getValue() + "/" + flags.getVMOption("MaxHeapFreeRatio").getValue();
  }
}
