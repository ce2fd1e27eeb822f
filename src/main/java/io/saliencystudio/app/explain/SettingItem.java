package io.saliencystudio.app.explain;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

/**
 * One editable field of an immutable settings record ({@code S}: method settings, the faithfulness protocol) as a
 * ControlsFX {@link PropertySheet.Item}: reading takes the field of the current record, writing builds a new record
 * with it and hands that on. A value the record refuses (a half-typed 0 or negative number) is ignored and the last
 * good record stays.
 *
 * @param <S> the settings record
 * @param <T> the field's type (Integer, Double, an enum...): what the sheet's editor is chosen by
 */
final class SettingItem<S, T> implements PropertySheet.Item {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SettingItem.class);

    private final String category;
    private final String name;
    private final String description;
    private final Class<T> type;
    private final Supplier<S> current;
    private final Consumer<S> apply;
    private final Function<S, T> get;
    private final BiFunction<S, T, S> set;
    private final ObservableValue<?> shown;

    /**
     * @param shown when not null, the editor follows it and shows a record set elsewhere (a reset, preferences)
     */
    SettingItem(String category, String name, String description, Class<T> type, Supplier<S> current,
            Consumer<S> apply, Function<S, T> get, BiFunction<S, T, S> set, ObservableValue<?> shown) {
        this.category = category;
        this.name = name;
        this.description = description;
        this.type = type;
        this.current = current;
        this.apply = apply;
        this.get = get;
        this.set = set;
        this.shown = shown;
    }

    @Override
    public Class<?> getType() {
        return type;
    }

    @Override
    public String getCategory() {
        return category;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Object getValue() {
        return get.apply(current.get());
    }

    @Override
    public void setValue(Object value) {
        T v = convert(type, value);
        if (v == null || v.equals(getValue())) {
            return;
        }
        try {
            apply.accept(set.apply(current.get(), v));
        } catch (IllegalArgumentException e) {
            LOG.debug("ignored {} = {}: {}", name, value, e.getMessage());
        }
    }

    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
        return Optional.ofNullable(shown);
    }

    /** The numeric editor hands over whatever Number it parsed; make it the item's own type. */
    @SuppressWarnings("unchecked")
    static <T> T convert(Class<T> type, Object value) {
        if (value instanceof Number n && !type.isInstance(value)) {
            if (type == Integer.class) {
                return (T) Integer.valueOf(n.intValue());
            } else if (type == Long.class) {
                return (T) Long.valueOf(n.longValue());
            } else if (type == Double.class) {
                return (T) Double.valueOf(n.doubleValue());
            }
        }
        return type.isInstance(value) ? (T) value : null;
    }
}
