package io.github.stripedmap.demo;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One phase of the demo on one map, so the recording shows which phase caused what. */
@Name("io.github.stripedmap.demo.Phase")
@Label("Demo Phase")
@Category({"stripedmap", "Demo"})
@Description("One phase of the map-leak demo (steady, batch, churn, drain) run on one map")
@StackTrace(false)
final class PhaseEvent extends jdk.jfr.Event {

    @Label("Map")
    @Description("The map the phase ran on")
    String map;

    @Label("Phase")
    @Description("steady, batch, churn or drain")
    String phase;

    @Label("Writes")
    @Description("Write operations done by the phase")
    long writes;

    @Label("Live Entries")
    @Description("Entries in the map at the end of the phase")
    long entries;
}
