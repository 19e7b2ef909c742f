package io.gracefulworker.core;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gracefulworker.JobContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Writes and reads job arguments and checkpoints as JSON with Jackson 3. Arguments are read back
 * only as the method's declared parameter types, never with polymorphic default typing, so a
 * payload can never name a class to instantiate.
 */
public class JobCodec {

	private final ObjectMapper mapper;

	public JobCodec() {
		this(JsonMapper.builder().build());
	}

	public JobCodec(ObjectMapper mapper) {
		this.mapper = mapper;
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
			throw new JobPayloadException("Checkpoint cannot be read as " + type.getName() + ": "
					+ ex.getOriginalMessage(), ex);
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
		JsonNode node;
		try {
			node = this.mapper.readTree(record.arguments());
		}
		catch (JacksonException ex) {
			throw new JobPayloadException("Arguments are not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(node instanceof ArrayNode array)) {
			throw new JobPayloadException("Arguments are not a JSON array");
		}
		List<JavaType> types = definition.argumentTypes();
		if (array.size() != types.size()) {
			throw new JobPayloadException("Expected " + types.size() + " arguments for " + definition.describe()
					+ " but the job has " + array.size());
		}
		Object[] result = new Object[types.size() + ((definition.contextIndex() >= 0) ? 1 : 0)];
		int source = 0;
		for (int i = 0; i < result.length; i++) {
			if (i == definition.contextIndex()) {
				result[i] = context;
				continue;
			}
			JavaType type = types.get(source);
			try {
				Object value = this.mapper.treeToValue(array.get(source), type);
				if (value == null && type.isPrimitive()) {
					throw new JobPayloadException("Argument " + source + " is null but " + definition.describe()
							+ " takes a " + type.getRawClass().getName());
				}
				result[i] = value;
			}
			catch (JacksonException ex) {
				throw new JobPayloadException("Argument " + source + " cannot be read as " + type.toCanonical() + ": "
						+ ex.getOriginalMessage(), ex);
			}
			source++;
		}
		return result;
	}

}
