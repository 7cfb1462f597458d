package io.planperfect.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.config.SmtpAddress;
import io.planperfect.json.Json;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

/**
 * Sends a job's completion e-mail through the SMTP server of {@code PLANPERFECT_SMTP_URL} (Jakarta Mail,
 * Angus): a plain-text message naming the job and its end, with the summary's fields. The password goes
 * to the session's authenticator only; nothing here logs it, and the session's debug output stays off.
 */
final class MailSender {
  private final Session session;
  private final InternetAddress from;

  MailSender(SmtpAddress smtp, String from, Duration timeout) {
    String protocol = smtp.tls() ? "smtps" : "smtp";
    Properties props = new Properties();
    props.put("mail.transport.protocol", protocol);
    props.put("mail." + protocol + ".host", smtp.host());
    props.put("mail." + protocol + ".port", Integer.toString(smtp.port()));
    props.put("mail." + protocol + ".auth", Boolean.toString(smtp.user().isPresent()));
    props.put("mail." + protocol + ".starttls.enable", "true");
    String millis = Long.toString(timeout.toMillis());
    props.put("mail." + protocol + ".connectiontimeout", millis);
    props.put("mail." + protocol + ".timeout", millis);
    props.put("mail." + protocol + ".writetimeout", millis);
    Authenticator authenticator = smtp.user().isEmpty() ? null : new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(smtp.user().get(), smtp.password().orElse(""));
      }
    };
    this.session = Session.getInstance(props, authenticator);
    try {
      this.from = new InternetAddress(from, true);
    } catch (MessagingException e) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_MAIL_FROM is not an e-mail address", e);
    }
  }

  /** Sends the summary to {@code to}; a {@link MessagingException} is a failed attempt, tried again later. */
  void send(String to, String summaryJson) throws MessagingException {
    JsonNode summary = Json.read(summaryJson);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
    message.setSubject("PlanPerfect job " + summary.path("job_id").asText() + " " + summary.path("status").asText(),
        "UTF-8");
    message.setText(text(summary), "UTF-8");
    Transport.send(message);
  }

  private static String text(JsonNode summary) {
    StringBuilder text = new StringBuilder("Your PlanPerfect job has ended.\n\n");
    for (Iterator<Map.Entry<String, JsonNode>> fields = summary.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isNull()) {
        text.append(field.getKey()).append(": ")
            .append(field.getValue().isTextual() ? field.getValue().asText() : Json.write(field.getValue())).append('\n');
      }
    }
    return text.toString();
  }
}
