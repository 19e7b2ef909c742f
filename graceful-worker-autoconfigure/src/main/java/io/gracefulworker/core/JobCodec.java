package io.gracefulworker.core;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

import io.gracefulworker.JobContext;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Writes and reads job arguments and checkpoints as JSON with Jackson 3. Arguments are read back
 * only as the method's declared parameter types, never with polymorphic default typing, so a
 * payload can never name a class to instantiate. Given the application's mapper, it keeps its
 * modules, serializers and settings but turns default typing off and refuses every type id that
 * names a class; unknown properties fail a read as they do by default, so that an argument
 * another release shaped differently is given back, not read in part.
 */
public class JobCodec {

	private static final ObjectMapper DEFAULTS = JsonMapper.builder().build();

	private final ObjectMapper mapper;

	private final Map<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();

	public JobCodec() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Creates a codec on a copy of the given mapper made safe for payloads.
	 * @param mapper the mapper, typically the application's
	 */
	public JobCodec(ObjectMapper mapper) {
		this.mapper = mapper.rebuild()
			.deactivateDefaultTyping()
			.polymorphicTypeValidator(new NoClassNames())
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
					DEFAULTS.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
			.build();
	}

	/**
	 * Checks that a declared parameter type can be written and read back.
	 * @param type the declared type
	 * @return a reason the type cannot be used, or empty if it can
	 */
	public Optional<String> unsupportedReason(java.lang.reflect.Type type) {
		JavaType javaType = this.mapper.constructType(type);
		Class<?> raw = javaType.getRawClass();
		if (raw == Object.class) {
			return Optional.of("type Object gives no type to read the argument back as");
		}
		boolean container = Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw);
		if (!container && !raw.isPrimitive() && !raw.isArray()
				&& (raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))) {
			return Optional.of("abstract type " + raw.getName()
					+ " cannot be read back without type information, which is never stored");
		}
		try {
			this.mapper._deserializationContext().findRootValueDeserializer(javaType);
			return Optional.empty();
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return Optional.of("Jackson cannot read " + type.getTypeName() + ": " + ex.getMessage());
		}
	}

	public JavaType constructType(java.lang.reflect.Type type) {
		return this.mapper.constructType(type);
	}

	public String writeArguments(List<?> arguments) {
		if (arguments.isEmpty()) {
			return "[]";
		}
		try {
			return this.mapper.writeValueAsString(arguments);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Job arguments cannot be written as JSON: " + ex.getOriginalMessage(),
					ex);
		}
	}

	public String writeCheckpoint(Object progress) {
		try {
			return this.mapper.writeValueAsString(progress);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Checkpoint cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	public <T> T readCheckpoint(String progress, Class<T> type) {
		try {
			return this.mapper.readValue(progress, type);
		}
		catch (JacksonException ex) {
			throw new JobPayloadException("Checkpoint cannot be read as " + type.getName() + where(ex), ex);
		}
	}

	/**
	 * Reads a record's arguments as the definition's declared types and puts the context at its
	 * place.
	 * @param record the record
	 * @param definition the job's definition
	 * @param context the context to pass
	 * @return the method's arguments
	 * @throws JobPayloadException if the arguments do not fit the method
	 */
	public Object[] readArguments(JobRecord record, JobDefinition definition, JobContext context) {
		List<JavaType> types = definition.argumentTypes();
		Object[] result = new Object[types.size() + ((definition.contextIndex() >= 0) ? 1 : 0)];
		if (types.isEmpty() && record.arguments().equals("[]")) {
			if (definition.contextIndex() >= 0) {
				result[definition.contextIndex()] = context;
			}
			return result;
		}
		// Each argument is read from the token stream as its declared type, never through a tree,
		// so numbers keep their exact text (a tree would read 19.90 as the double 19.9).
		try (JsonParser parser = this.mapper.createParser(record.arguments())) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				throw new JobPayloadException("Arguments are not a JSON array");
			}
			int source = 0;
			for (int i = 0; i < result.length; i++) {
				if (i == definition.contextIndex()) {
					result[i] = context;
					continue;
				}
				JsonToken token = parser.nextToken();
				if (token == JsonToken.END_ARRAY) {
					throw wrongCount(record, definition);
				}
				result[i] = readArgument(parser, token, types.get(source), source, record, definition);
				source++;
			}
			if (parser.nextToken() != JsonToken.END_ARRAY) {
				throw wrongCount(record, definition);
			}
			return result;
		}
		catch (JacksonException ex) {
			throw new JobPayloadException("Arguments are not JSON" + where(ex), ex);
		}
	}

	private Object readArgument(JsonParser parser, JsonToken token, JavaType type, int index, JobRecord record,
			JobDefinition definition) {
		Object value;
		try {
			value = this.readers.computeIfAbsent(type, this::argumentReader).readValue(parser);
		}
		catch (JacksonException ex) {
			throw wrongType(token, type, index, record, definition);
		}
		if (value == null && type.isPrimitive()) {
			throw wrongType(token, type, index, record, definition);
		}
		return value;
	}

	private ObjectReader argumentReader(JavaType type) {
		return this.mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	private JobShapeException wrongType(JsonToken token, JavaType type, int index, JobRecord record,
			JobDefinition definition) {
		return new JobShapeException("Argument " + index + " cannot be read as " + type.toCanonical() + " (found "
				+ kind(token) + "): expected " + definition.describe() + ", found " + shape(record));
	}

	private JobShapeException wrongCount(JobRecord record, JobDefinition definition) {
		return new JobShapeException("Expected " + definition.argumentTypes().size() + " arguments for "
				+ definition.describe() + " but found " + shape(record));
	}

	/**
	 * Describes the kinds of a stored argument array without its values, such as
	 * {@code [string, number, object]}.
	 */
	private String shape(JobRecord record) {
		StringJoiner kinds = new StringJoiner(", ", "[", "]");
		try (JsonParser parser = this.mapper.createParser(record.arguments())) {
			parser.nextToken();
			for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
					token = parser.nextToken()) {
				kinds.add(kind(token));
				parser.skipChildren();
			}
		}
		catch (JacksonException ex) {
			kinds.add("...");
		}
		return kinds.toString();
	}

	private static String kind(JsonToken token) {
		return switch (token) {
			case START_OBJECT -> "object";
			case START_ARRAY -> "array";
			case VALUE_STRING -> "string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
			case VALUE_TRUE, VALUE_FALSE -> "boolean";
			case VALUE_NULL -> "null";
			default -> token.name().toLowerCase(Locale.ROOT);
		};
	}

	private static String where(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		return (location != null) ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
				: "";
	}

	/**
	 * Refuses every polymorphic type id that names a class ({@code @JsonTypeInfo(use = CLASS)},
	 * default typing); ids by registered name are resolved without it.
	 */
	private static final class NoClassNames extends PolymorphicTypeValidator.Base {

		@Override
		public Validity validateBaseType(DatabindContext context, JavaType baseType) {
			return Validity.DENIED;
		}

		@Override
		public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
			return Validity.DENIED;
		}

		@Override
		public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
			return Validity.DENIED;
		}

	}

}
