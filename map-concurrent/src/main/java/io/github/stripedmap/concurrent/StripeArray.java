package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.TableObserver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntFunction;

/**
 * The stripes of a map, created on first write so that an empty map costs one small array. The only
 * memory-ordering code of {@code map-concurrent} lives here: a stripe is published by a CAS on its
 * array element and read with acquire semantics, so a reader that sees a stripe sees it fully built. Its
 * table is then published a second time, with a release store into the readers' array of tables, by the
 * creator while it still holds the new stripe's lock: every write to the table comes after that store, so
 * a reader that finds no table there may answer "absent", exactly as one that finds no stripe.
 */
final class StripeArray {

    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Stripe[].class);
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(BucketTable[].class);

    private final Stripe[] stripes;
    /**
     * Each stripe's table, for readers: one dependent load from this array to the table instead of two
     * (through the {@link Stripe}). Published by the stripe's creator before it unlocks the new stripe, so
     * before any write to the table.
     */
    private final BucketTable[] tables;
    private final int stripeCapacity;
    private final IntFunction<TableObserver> observers;

    StripeArray(int count, int stripeCapacity, IntFunction<TableObserver> observers) {
        this.stripes = new Stripe[count];
        this.tables = new BucketTable[count];
        this.stripeCapacity = stripeCapacity;
        this.observers = observers;
    }

    int length() {
        return stripes.length;
    }

    /** @return stripe {@code i}, or null if nothing was ever written to it */
    Stripe get(int i) {
        return (Stripe) ELEMENT.getAcquire(stripes, i);
    }

    /** @return stripe {@code i}'s table, or null if nothing was ever written to it (for readers) */
    BucketTable table(int i) {
        return (BucketTable) TABLE.getAcquire(tables, i);
    }

    /** @return stripe {@code i}, created (once, by whichever writer wins) if needed */
    Stripe getOrCreate(int i) {
        Stripe s = get(i);
        if (s != null) {
            return s;
        }
        Stripe fresh = new Stripe(stripeCapacity);
        // Published locked: a writer that finds it waits until its observer is attached, and only the CAS
        // winner asks the factory for one (a loser's stripe is dropped unobserved).
        fresh.lock();
        try {
            Stripe witness = (Stripe) ELEMENT.compareAndExchange(stripes, i, (Stripe) null, fresh);
            if (witness != null) {
                return witness;
            }
            fresh.table.setObserver(observers.apply(i));
            TABLE.setRelease(tables, i, fresh.table);
            return fresh;
        } finally {
            fresh.unlock();
        }
    }
}
