package io.gracefulworker.core;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * Finds, in a class's bytecode, the methods that call one of the class's own job methods. Such a
 * call (as {@code this.render(...)}) bypasses the bean's proxy, so the job runs at once on the
 * caller's thread and nothing is stored: the same limit as {@code @Async}.
 */
final class SelfInvocations {

	private static final Log logger = LogFactory.getLog(SelfInvocations.class);

	private SelfInvocations() {
	}

	/**
	 * Returns the methods of the job method's class that call it.
	 * @param type the class that declares or inherits the job method
	 * @param job the job method
	 * @return the callers, as {@code Class.method}, empty if none or if the bytecode is not
	 * readable
	 */
	static Set<String> callers(Class<?> type, Method job) {
		Set<String> callers = new LinkedHashSet<>();
		String owner = Type.getInternalName(type);
		String name = job.getName();
		String descriptor = Type.getMethodDescriptor(job);
		String resource = owner + ".class";
		ClassLoader loader = (type.getClassLoader() != null) ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
		try (InputStream bytes = loader.getResourceAsStream(resource)) {
			if (bytes == null) {
				return callers;
			}
			new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {

				@Override
				public MethodVisitor visitMethod(int access, String caller, String callerDescriptor,
						String signature, String[] exceptions) {
					return new MethodVisitor(Opcodes.ASM9) {

						@Override
						public void visitMethodInsn(int opcode, String callee, String calleeName,
								String calleeDescriptor, boolean isInterface) {
							if (callee.equals(owner) && calleeName.equals(name) && calleeDescriptor.equals(descriptor)
									&& opcode != Opcodes.INVOKESTATIC) {
								callers.add(type.getSimpleName() + "." + caller);
							}
						}

					};
				}

			}, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the bytecode of " + type.getName(), ex);
		}
		return callers;
	}

}
