package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Recursive updates from inside remapping functions, in Termination mode: each must end with
 * {@code IllegalStateException} and leave the map unchanged. A deadlock (the stripe lock is held by the
 * outer write) or an accepted recursive write both show as STALE: the actor deliberately spins forever
 * when the map did not refuse the recursion, so every wrong behaviour is the one outcome jcstress can
 * detect in this mode. Termination mode knows only TERMINATED and STALE, so the table has no
 * ACCEPTABLE_INTERESTING row; {@link RecursiveUpdateRace} covers the interleavings.
 */
@JCStressTest(Mode.Termination)
@Description("Recursive update from inside a remapping function (compute -> put, computeIfAbsent -> "
        + "computeIfAbsent, merge -> remove, on one stripe whose next insert would start a doubling): each ends "
        + "with IllegalStateException and the map unchanged; never a hang.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
        desc = "Every recursive update was refused with IllegalStateException and nothing changed.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "Deadlock in a recursive update, or one was accepted / changed the map (the actor then spins).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (an actor error).")
@State
public class RecursiveUpdateTerminates {

    private final StripedMap<Key, Integer> map = Fixtures.tiny(new Probe());
    private final Key[] filled = Fixtures.colliding(1, Fixtures.FULL_4);
    private final Key outer = Key.colliding(100);
    private final Key inner = Key.colliding(101);

    public RecursiveUpdateTerminates() {
        Fixtures.fill(map, filled);
    }

    @Actor
    public void recurse() {
        boolean refused = refused(() -> map.compute(outer, (k, v) -> {
            map.put(inner, 1);
            return 1;
        }));
        refused &= refused(() -> map.computeIfAbsent(outer, k -> map.computeIfAbsent(inner, kk -> 2)));
        map.put(outer, 3);
        refused &= refused(() -> map.merge(outer, 1, (a, b) -> {
            map.remove(filled[0]);
            return a + b;
        }));
        refused &= map.remove(outer) == 3 && !map.containsKey(inner) && map.size() == filled.length
                && Fixtures.damaged(map, filled) == 0;
        while (!refused) {
            Thread.onSpinWait(); // the recursion was not refused cleanly: report it as STALE
        }
    }

    @Signal
    public void signal() {
        // nothing to do: a correct actor finishes on its own
    }

    private static boolean refused(Runnable recursiveUpdate) {
        try {
            recursiveUpdate.run();
            return false;
        } catch (IllegalStateException expected) {
            return true;
        }
    }
}
