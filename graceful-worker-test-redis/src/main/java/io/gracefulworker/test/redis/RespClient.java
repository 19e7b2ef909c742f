package io.gracefulworker.test.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal RESP client for test support, so that starting a server does not depend on the
 * client library under test.
 */
public final class RespClient {

	private RespClient() {
	}

	/**
	 * Sends one command and reads its reply: a simple or bulk string, or an array's elements one per line.
	 * @param host the host
	 * @param port the port
	 * @param args the command and its arguments
	 * @return the reply
	 * @throws IOException if the server cannot be reached or answers with an error
	 */
	public static String command(String host, int port, String... args) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
				request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
			}
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return readReply(new BufferedInputStream(socket.getInputStream()));
		}
	}

	// An array's elements are joined by line breaks, which is all the test support needs.
	private static String readReply(InputStream in) throws IOException {
		String line = readLine(in);
		char type = line.charAt(0);
		if (type == '-') {
			throw new IOException(line.substring(1));
		}
		if (type == '$') {
			int length = Integer.parseInt(line.substring(1));
			if (length < 0) {
				return null;
			}
			byte[] body = in.readNBytes(length + 2);
			return new String(body, 0, length, StandardCharsets.UTF_8);
		}
		if (type == '*') {
			int count = Integer.parseInt(line.substring(1));
			if (count < 0) {
				return null;
			}
			StringBuilder elements = new StringBuilder();
			for (int i = 0; i < count; i++) {
				elements.append((i > 0) ? "\n" : "").append(readReply(in));
			}
			return elements.toString();
		}
		return line.substring(1);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int previous = -1;
		int current;
		while ((current = in.read()) != -1) {
			if (previous == '\r' && current == '\n') {
				byte[] bytes = buffer.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			buffer.write(current);
			previous = current;
		}
		throw new IOException("Connection closed");
	}

}
