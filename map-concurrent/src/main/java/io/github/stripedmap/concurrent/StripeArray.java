package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.TableObserver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntFunction;

/**
 * The stripes of a map, created on first write (their two arrays too) so that an empty map holds no
 * array. The only memory-ordering code of {@code map-concurrent} lives here: each array is published by
 * a CAS on its field and read with acquire semantics; a stripe is published by a CAS on its
 * array element and read with acquire semantics, so a reader that sees a stripe sees it fully built. Its
 * table is then published a second time, with a release store into the readers' array of tables, by the
 * creator while it still holds the new stripe's lock: every write to the table comes after that store, so
 * a reader that finds no table there may answer "absent", exactly as one that finds no stripe.
 */
final class StripeArray {

    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Stripe[].class);
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(BucketTable[].class);
    private static final VarHandle STRIPES;
    private static final VarHandle TABLES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STRIPES = lookup.findVarHandle(StripeArray.class, "stripes", Stripe[].class);
            TABLES = lookup.findVarHandle(StripeArray.class, "tables", BucketTable[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int count;
    /** The stripes; null until the first write, then published by CAS (so an empty map holds no array). */
    @SuppressWarnings("unused") // accessed through STRIPES
    private Stripe[] stripes;
    /**
     * Each stripe's table, for readers: one dependent load from this array to the table instead of two
     * (through the {@link Stripe}). Null until the first write, like {@link #stripes}; an element is published
     * by its stripe's creator before it unlocks the new stripe, so before any write to the table.
     */
    @SuppressWarnings("unused") // accessed through TABLES
    private BucketTable[] tables;
    private final int stripeCapacity;
    private final IntFunction<TableObserver> observers;

    StripeArray(int count, int stripeCapacity, IntFunction<TableObserver> observers) {
        this.count = count;
        this.stripeCapacity = stripeCapacity;
        this.observers = observers;
    }

    int length() {
        return count;
    }

    /** @return stripe {@code i}, or null if nothing was ever written to it */
    Stripe get(int i) {
        Stripe[] a = (Stripe[]) STRIPES.getAcquire(this);
        return a == null ? null : (Stripe) ELEMENT.getAcquire(a, i);
    }

    /** @return stripe {@code i}'s table, or null if nothing was ever written to it (for readers) */
    BucketTable table(int i) {
        BucketTable[] a = (BucketTable[]) TABLES.getAcquire(this);
        return a == null ? null : (BucketTable) TABLE.getAcquire(a, i);
    }

    /**
     * The array in {@code field} ({@link #STRIPES} or {@link #TABLES}), created by the first writer (whichever
     * CAS wins).
     */
    @SuppressWarnings("unchecked") // field holds a T[]: the VarHandle casts the arguments to its exact type
    private <T> T[] createdArray(VarHandle field, IntFunction<T[]> newArray) {
        T[] a = (T[]) field.getAcquire(this);
        if (a == null) {
            T[] fresh = newArray.apply(count);
            T[] witness = (T[]) field.compareAndExchange(this, (T[]) null, fresh);
            a = witness != null ? witness : fresh;
        }
        return a;
    }

    /** @return stripe {@code i}, created (once, by whichever writer wins) if needed */
    Stripe getOrCreate(int i) {
        Stripe s = get(i);
        if (s != null) {
            return s;
        }
        Stripe[] allStripes = createdArray(STRIPES, Stripe[]::new);
        // Both arrays exist before the stripe is published: nothing can fail after that.
        BucketTable[] allTables = createdArray(TABLES, BucketTable[]::new);
        Stripe fresh = new Stripe(stripeCapacity);
        // Published locked: a writer that finds it waits until its observer is attached, and only the CAS
        // winner asks the factory for one (a loser's stripe is dropped unobserved).
        fresh.lock();
        try {
            Stripe witness = (Stripe) ELEMENT.compareAndExchange(allStripes, i, (Stripe) null, fresh);
            if (witness != null) {
                return witness;
            }
            fresh.table.setObserver(observers.apply(i));
            TABLE.setRelease(allTables, i, fresh.table);
            return fresh;
        } finally {
            fresh.unlock();
        }
    }
}
